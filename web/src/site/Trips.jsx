import { Alert, Box, Card, CardContent, Stack, Typography } from '@mui/material'
import { useEffect, useState } from 'react'
import { api } from './api'

/** The signed-in customer's bookings, from the CRM. */
export default function Trips({ customer }) {
  const [state, setState] = useState({ trips: null, error: null })
  useEffect(() => {
    if (!customer) return
    api('/api/trips', { token: customer.token })
      .then((data) => setState({ trips: data.trips, error: null }))
      .catch((e) => setState({ trips: [], error: e.message }))
  }, [customer])
  return (
    <Box>
      <Typography variant="h4" component="h1" gutterBottom>My trips</Typography>
      {!customer && <Alert severity="info">Sign in to see your trips.</Alert>}
      {state.error && <Alert severity="error">{state.error}</Alert>}
      {state.trips && state.trips.length === 0 && !state.error && <Typography>No trips yet.</Typography>}
      <Stack spacing={1.5}>
        {(state.trips || []).map((trip) => (
          <Card key={trip.booking_reference || trip.id} variant="outlined">
            <CardContent>
              <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>{trip.origin} → {trip.destination}</Typography>
              <Typography variant="body2">
                {trip.departure_date}{trip.return_date ? `, back ${trip.return_date}` : ''} · reference {trip.booking_reference}
              </Typography>
            </CardContent>
          </Card>
        ))}
      </Stack>
    </Box>
  )
}
