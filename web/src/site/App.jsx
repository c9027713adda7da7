import { AppBar, Box, Button, Container, Toolbar, Typography } from '@mui/material'
import { useEffect, useState } from 'react'
import Checkout from './Checkout'
import Help from './Help'
import Search from './Search'
import SignIn from './SignIn'
import Trips from './Trips'

const PAGES = { '/': 'Flights', '/trips': 'My trips', '/help': 'Help' }

/** The demo travel site: a few pages, each reporting what the customer does to the assistant. */
export default function App({ customer, report }) {
  const [path, setPath] = useState(window.location.pathname)
  const [offer, setOffer] = useState(null)
  useEffect(() => {
    const back = () => setPath(window.location.pathname)
    window.addEventListener('popstate', back)
    return () => window.removeEventListener('popstate', back)
  }, [])
  useEffect(() => { report({ type: 'page_view', page: path }) }, [path, report])
  const go = (to) => {
    window.history.pushState({}, '', to)
    setPath(to)
    window.scrollTo(0, 0)
  }
  const checkout = (chosen) => { setOffer(chosen); go('/checkout') }

  let page
  if (path === '/trips') page = <Trips customer={customer} />
  else if (path === '/help') page = <Help report={report} />
  else if (path === '/checkout') page = <Checkout offer={offer} customer={customer} report={report} onDone={() => go('/trips')} onBack={() => go('/')} />
  else page = <Search report={report} onChoose={checkout} />

  return (
    <>
      <AppBar position="static" elevation={0}>
        <Toolbar sx={{ gap: 1, flexWrap: 'wrap' }}>
          <Typography variant="h6" component="a" href="/" onClick={(e) => { e.preventDefault(); go('/') }} sx={{ color: 'inherit', textDecoration: 'none', fontWeight: 700, mr: 2 }}>
            Skyward Travel
          </Typography>
          <Box component="nav" aria-label="Main" sx={{ display: 'flex', gap: 0.5, flex: 1 }}>
            {Object.entries(PAGES).map(([to, label]) => (
              <Button key={to} href={to} color="inherit" aria-current={path === to ? 'page' : undefined}
                onClick={(e) => { e.preventDefault(); go(to) }} sx={{ textDecoration: path === to ? 'underline' : 'none' }}>
                {label}
              </Button>
            ))}
          </Box>
          <SignIn customer={customer} />
        </Toolbar>
      </AppBar>
      <Container component="main" maxWidth="md" sx={{ py: 3, pb: 14 }}>{page}</Container>
    </>
  )
}
