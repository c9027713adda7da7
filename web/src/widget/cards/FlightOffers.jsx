import { Box, Button, Card, CardContent, Chip, Stack, Typography } from '@mui/material'
import { day, duration, price, stops, time } from '../format'

function Leg({ slice }) {
  const nextDay = slice.arrive.slice(0, 10) > slice.depart.slice(0, 10)
  return (
    <Box>
      <Typography variant="body2" component="p" sx={{ fontWeight: 600 }}>
        {time(slice.depart)} {slice.from} → {time(slice.arrive)}{nextDay ? ' (+1)' : ''} {slice.to}
      </Typography>
      <Typography variant="caption" color="text.secondary" component="p">
        {day(slice.depart)} · {stops(slice.stops)} · {duration(slice.minutes)} · {slice.flights}
      </Typography>
    </Box>
  )
}

/** The flight offers of a search: one card each, with a Select button that books that one. */
export default function FlightOffers({ offers, onSelect, disabled }) {
  return (
    <Stack spacing={1} component="ul" aria-label="Flight offers" sx={{ listStyle: 'none', p: 0, m: 0 }}>
      {offers.map((offer, i) => (
        <Card component="li" key={offer.id} variant="outlined" data-testid="flight-offer">
          <CardContent sx={{ p: 1.5, '&:last-child': { pb: 1.5 } }}>
            <Stack direction="row" sx={{ justifyContent: "space-between", alignItems: "center", mb: 0.5 }}>
              <Typography variant="subtitle2" component="h3">{offer.airline}</Typography>
              <Typography variant="subtitle1" component="p" sx={{ fontWeight: 700 }}>{price(offer.price, offer.currency)}</Typography>
            </Stack>
            <Stack spacing={0.5}>
              {offer.slices.map((slice) => <Leg key={`${slice.from}-${slice.depart}`} slice={slice} />)}
            </Stack>
            <Stack direction="row" sx={{ justifyContent: "space-between", alignItems: "center", mt: 1 }}>
              {offer.slices.every((s) => s.stops === 0) ? <Chip size="small" label="Nonstop" color="success" variant="outlined" /> : <span />}
              <Button
                size="small" variant="contained" disabled={disabled}
                aria-label={`Select option ${i + 1}: ${offer.airline}, departing ${time(offer.slices[0].depart)}, ${price(offer.price, offer.currency)}`}
                onClick={() => onSelect(`/select_offer{"choice": "${i + 1}"}`, `Option ${i + 1}: ${offer.airline} at ${time(offer.slices[0].depart)}`)}
              >
                Select
              </Button>
            </Stack>
          </CardContent>
        </Card>
      ))}
    </Stack>
  )
}
