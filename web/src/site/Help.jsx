import { Alert, Box, Button, Link, List, ListItem, TextField, Typography } from '@mui/material'
import { useEffect, useState } from 'react'
import { api } from './api'
import HelpHtml from './helpHtml'

const MAX_QUERY = 200
const ARTICLE_STYLE = { '& p': { mt: 0, mb: 1.5 }, '& ul, & ol': { mt: 0, mb: 1.5, pl: 3 }, '& li': { mb: 0.5 } }

function ArticleLink({ article, onOpen }) {
  return (
    <Link component="button" type="button" variant="body1" onClick={() => onOpen(article.id)} sx={{ textAlign: 'left' }}>
      {article.title}
    </Link>
  )
}

/** Every category, its sections and their articles' titles. */
function Contents({ categories, onOpen }) {
  return categories.map((category) => (
    <Box key={category.id} component="section" sx={{ mb: 3 }}>
      <Typography variant="h5" component="h2">{category.name}</Typography>
      {category.description && <Typography color="text.secondary" gutterBottom>{category.description}</Typography>}
      {category.sections.map((section) => (
        <Box key={section.id} sx={{ mt: 1.5 }}>
          <Typography variant="h6" component="h3">{section.name}</Typography>
          <List dense disablePadding>
            {section.articles.map((article) => (
              <ListItem key={article.id} disableGutters><ArticleLink article={article} onOpen={onOpen} /></ListItem>
            ))}
          </List>
        </Box>
      ))}
    </Box>
  ))
}

function Results({ found, query, onOpen, onClear }) {
  return (
    <Box component="section" aria-label="Search results" sx={{ mb: 3 }}>
      <Typography variant="h5" component="h2" gutterBottom>
        {found.count === 0 ? `No articles match “${query}”` : `${found.count} article${found.count === 1 ? '' : 's'} for “${query}”`}
        {found.count > found.results.length && ` (the best ${found.results.length})`}
      </Typography>
      <List disablePadding>
        {found.results.map((result) => (
          <ListItem key={result.id} disableGutters sx={{ display: 'block', mb: 1 }}>
            <ArticleLink article={result} onOpen={onOpen} />
            <HelpHtml html={result.snippet} component="p" style={{ margin: 0 }} />
          </ListItem>
        ))}
      </List>
      <Button onClick={onClear}>All help articles</Button>
    </Box>
  )
}

function Article({ article, section, onBack }) {
  return (
    <Box component="article" sx={{ mb: 3 }}>
      <Button onClick={onBack} sx={{ mb: 1 }}>← Back</Button>
      {section && <Typography variant="overline" component="p">{section}</Typography>}
      <Typography variant="h5" component="h2" gutterBottom>{article.title}</Typography>
      <Box sx={ARTICLE_STYLE}><HelpHtml html={article.body} /></Box>
    </Box>
  )
}

/** The help center (Zendesk Guide through the site's API): contents, search and one article at a
 * time. An article opened is reported as a page view of its own path, a search with how many
 * articles it found: signs that the customer cannot find an answer. */
export default function Help({ report }) {
  const [categories, setCategories] = useState([])
  const [error, setError] = useState(null)
  const [query, setQuery] = useState('')
  const [found, setFound] = useState(null) // { query, count, results }
  const [article, setArticle] = useState(null)

  useEffect(() => {
    api('/api/help/articles').then((data) => setCategories(data.categories)).catch((e) => setError(e.message))
  }, [])

  const open = (id) => api(`/api/help/articles/${id}`)
    .then((data) => {
      setArticle(data.article)
      setError(null)
      window.scrollTo(0, 0)
      report({ type: 'page_view', page: `/help/articles/${data.article.id}` })
    })
    .catch((e) => setError(e.message))

  const search = (event) => {
    event.preventDefault()
    const words = query.trim()
    if (!words) return
    api(`/api/help/search?q=${encodeURIComponent(words)}`)
      .then((data) => {
        if (article) report({ type: 'page_view', page: '/help' })
        setFound({ ...data, query: words })
        setArticle(null)
        setError(null)
        report({ type: 'help_search', page: '/help', query: words, results: data.count })
      })
      .catch((e) => setError(e.message))
  }

  const sectionName = (id) => categories.flatMap((c) => c.sections).find((s) => s.id === id)?.name

  let content
  const back = () => { setArticle(null); report({ type: 'page_view', page: '/help' }) }
  if (article) content = <Article article={article} section={sectionName(article.section_id)} onBack={back} />
  else if (found) content = <Results found={found} query={found.query} onOpen={open} onClear={() => { setFound(null); setQuery('') }} />
  else content = <Contents categories={categories} onOpen={open} />

  return (
    <Box>
      <Typography variant="h4" component="h1" gutterBottom>Help</Typography>
      <Box component="form" role="search" onSubmit={search} sx={{ display: 'flex', gap: 1, mb: 3 }}>
        <TextField label="Search the help center" value={query} onChange={(e) => setQuery(e.target.value)}
          size="small" fullWidth slotProps={{ htmlInput: { maxLength: MAX_QUERY } }} />
        <Button type="submit" variant="outlined">Search</Button>
      </Box>
      {error && <Alert severity="error" sx={{ mb: 2 }}>{error}</Alert>}
      {content}
      <Button variant="contained" onClick={() => window.travelAssistant.store.dispatch({ type: 'chat/panelOpened' })}>Chat with the assistant</Button>
    </Box>
  )
}
