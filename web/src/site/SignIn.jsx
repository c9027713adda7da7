import { Button, Menu, MenuItem, Typography } from '@mui/material'
import { useState } from 'react'
import { api, forget, remember } from './api'

/** Demo sign-in as one of the sandbox's seeded customers; the site's server signs their token. */
export default function SignIn({ customer }) {
  const [anchor, setAnchor] = useState(null)
  const [customers, setCustomers] = useState([])
  const [error, setError] = useState(null)
  const open = async (event) => {
    setAnchor(event.currentTarget)
    try {
      setCustomers((await api('/api/customers')).customers)
    } catch (e) {
      setError(e.message)
    }
  }
  const choose = async (email) => {
    try {
      remember(await api('/api/signin', { method: 'POST', body: { email } }))
      window.location.reload()
    } catch (e) {
      setError(e.message)
    }
  }
  if (customer) {
    return (
      <>
        <Typography variant="body2" data-testid="signed-in-as">Signed in as {customer.name}</Typography>
        <Button color="inherit" onClick={() => { forget(); window.location.reload() }}>Sign out</Button>
      </>
    )
  }
  return (
    <>
      <Button color="inherit" variant="outlined" onClick={open} aria-haspopup="menu" aria-controls={anchor ? 'sign-in-menu' : undefined}>Sign in</Button>
      <Menu id="sign-in-menu" anchorEl={anchor} open={Boolean(anchor)} onClose={() => setAnchor(null)}>
        {error && <MenuItem disabled>{error}</MenuItem>}
        {customers.map((c) => (
          <MenuItem key={c.email} onClick={() => choose(c.email)} data-testid="customer-option">
            {c.name} ({c.home_airport || 'no home airport'})
          </MenuItem>
        ))}
      </Menu>
    </>
  )
}
