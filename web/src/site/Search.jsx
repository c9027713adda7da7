import { Alert, Box, Button, Card, CardContent, CircularProgress, Stack, TextField, Typography } from '@mui/material'
import { useState } from 'react'
import { day, duration, price, stops, time } from '../widget/format'
import { api } from './api'

const inAWeek = () => new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10)

/** Flight search: every search is reported with its result count (empty ones are a sign of trouble). */
export default function Search({ report, onChoose }) {
  const [form, setForm] = useState({ origin: '', destination: '', date: inAWeek() })
  const [state, setState] = useState({ loading: false, offers: null, error: null })
  const set = (field) => (e) => setForm({ ...form, [field]: e.target.value })
  const search = async (event) => {
    event.preventDefault()
    setState({ loading: true, offers: null, error: null })
    try {
      const found = await api(`/api/search?${new URLSearchParams(form)}`)
      setState({ loading: false, offers: found.offers, error: null })
      report({ type: 'search', page: '/', origin: form.origin, destination: form.destination, date: form.date, results: found.offers.length })
    } catch (e) {
      setState({ loading: false, offers: [], error: e.message })
      report({ type: 'search', page: '/', origin: form.origin, destination: form.destination, date: form.date, results: 0 })
    }
  }
  return (
    <Box>
      <Typography variant="h4" component="h1" gutterBottom>Find a flight</Typography>
      <Box component="form" onSubmit={search} aria-label="Flight search">
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5}>
          <TextField label="From" value={form.origin} onChange={set('origin')} required placeholder="Boston or BOS" fullWidth />
          <TextField label="To" value={form.destination} onChange={set('destination')} required placeholder="Lisbon or LIS" fullWidth />
          <TextField label="Date" type="date" value={form.date} onChange={set('date')} required slotProps={{ inputLabel: { shrink: true } }} sx={{ minWidth: 170 }} />
          <Button type="submit" variant="contained" size="large" disabled={state.loading}>Search</Button>
        </Stack>
      </Box>
      <Box aria-live="polite" sx={{ mt: 3 }}>
        {state.loading && <CircularProgress aria-label="Searching" />}
        {state.error && <Alert severity="warning">{state.error}</Alert>}
        {state.offers && !state.error && (
          <Typography variant="subtitle1" component="h2" data-testid="result-count">
            {state.offers.length ? `${state.offers.length} flights found` : 'No flights found for that search'}
          </Typography>
        )}
        <Stack spacing={1.5} sx={{ mt: 1 }}>
          {(state.offers || []).slice(0, 10).map((offer) => (
            <Card key={offer.id} variant="outlined">
              <CardContent>
                <Stack sx={{ justifyContent: "space-between" }} direction={{ xs: 'column', sm: 'row' }} spacing={1}>
                  <Box>
                    <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>{offer.airline}</Typography>
                    {offer.slices.map((s) => (
                      <Typography key={s.depart} variant="body2">
                        {day(s.depart)} · {time(s.depart)} {s.from} → {time(s.arrive)} {s.to} · {stops(s.stops)} · {duration(s.minutes)}
                      </Typography>
                    ))}
                  </Box>
                  <Stack sx={{ alignItems: { sm: 'flex-end' } }} spacing={1}>
                    <Typography variant="h6" component="p">{price(offer.price, offer.currency)}</Typography>
                    <Button variant="contained" onClick={() => onChoose(offer)} aria-label={`Choose ${offer.airline} at ${time(offer.slices[0].depart)}`}>Choose</Button>
                  </Stack>
                </Stack>
              </CardContent>
            </Card>
          ))}
        </Stack>
      </Box>
    </Box>
  )
}
