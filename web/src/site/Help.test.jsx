// The Help page reports what the struggle detector reads on help pages: each article opened as a
// page view of its path, each search with how many articles it found.
import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import Help from './Help'

vi.mock('./api', () => ({
  api: vi.fn(async (path) => {
    if (path === '/api/help/articles') {
      return { categories: [{ id: 1, name: 'Baggage', sections: [{ id: 10, name: 'Fees', articles: [{ id: 7, title: 'Checked bag fees' }] }] }] }
    }
    if (path === '/api/help/articles/7') return { article: { id: 7, title: 'Checked bag fees', body: '<p>$35 a bag.</p>', section_id: 10 } }
    if (path.startsWith('/api/help/search')) return { count: 0, results: [] }
    throw new Error(`unexpected ${path}`)
  }),
}))

let reported
beforeEach(() => {
  reported = []
  window.scrollTo = () => {}
})
afterEach(cleanup)

it('reports an opened article as a page view of its path, and the way back', async () => {
  const user = userEvent.setup()
  render(<Help report={(e) => reported.push(e)} />)
  await user.click(await screen.findByRole('button', { name: 'Checked bag fees' }))
  await screen.findByText('$35 a bag.')
  await user.click(screen.getByRole('button', { name: '← Back' }))
  expect(reported).toEqual([{ type: 'page_view', page: '/help/articles/7' }, { type: 'page_view', page: '/help' }])
})

it('reports a search with its query and result count', async () => {
  const user = userEvent.setup()
  render(<Help report={(e) => reported.push(e)} />)
  await user.type(screen.getByLabelText('Search the help center'), '  my parrot  ')
  await user.click(screen.getByRole('button', { name: 'Search' }))
  await screen.findByText(/No articles match/)
  expect(reported).toEqual([{ type: 'help_search', page: '/help', query: 'my parrot', results: 0 }])
})
