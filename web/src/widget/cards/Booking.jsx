import { Card, CardContent, Stack, Typography } from '@mui/material'
import { day, price, time } from '../format'

/** A confirmed booking: the reference first, as the customer will need it. */
export default function Booking({ booking }) {
  const offer = booking.offer || {}
  const slices = offer.slices || []
  return (
    <Card variant="outlined" sx={{ borderColor: 'success.main' }} data-testid="booking-confirmation" role="group" aria-label="Booking confirmed">
      <CardContent sx={{ p: 1.5, '&:last-child': { pb: 1.5 } }}>
        <Typography variant="overline" color="success.dark" component="p">Booking confirmed</Typography>
        <Typography variant="h6" component="p" sx={{ letterSpacing: 2 }} data-testid="booking-reference">{booking.booking_reference}</Typography>
        <Stack spacing={0.25} sx={{ mt: 0.5 }}>
          {slices.map((s) => (
            <Typography key={s.depart} variant="body2" component="p">
              {s.from} → {s.to}, {day(s.depart)} at {time(s.depart)}
            </Typography>
          ))}
          {offer.price && (
            <Typography variant="body2" color="text.secondary" component="p">{offer.airline} · {price(offer.price, offer.currency)}</Typography>
          )}
        </Stack>
      </CardContent>
    </Card>
  )
}
