import { Box, Button, Stack, Typography } from '@mui/material'
import Booking from './cards/Booking'
import FlightOffers from './cards/FlightOffers'
import Ticket from './cards/Ticket'
import { clock } from './format'

function Custom({ custom, onSend, disabled }) {
  if (custom.type === 'flight_offers' && Array.isArray(custom.offers)) return <FlightOffers offers={custom.offers} onSelect={onSend} disabled={disabled} />
  if (custom.type === 'booking_confirmation') return <Booking booking={custom} />
  if (custom.type === 'ticket_status' && custom.ticket) return <Ticket ticket={custom.ticket} />
  return null
}

/** One message: a bubble (the customer's on the right), its time, and any card or quick replies. */
export default function Message({ message, showReplies, onSend, canSend }) {
  const mine = message.sender === 'user'
  const who = mine ? 'You' : 'Assistant'
  // A card's choice is shown as its button's title, as the conversation's history will show it.
  const choose = (payload, display) => onSend(payload, message.replies.find((r) => r.payload === payload)?.title || display)
  return (
    <Box component="li" sx={{ display: 'flex', flexDirection: 'column', alignItems: mine ? 'flex-end' : 'flex-start', mb: 1.25 }}
      data-testid={mine ? 'user-message' : 'bot-message'}>
      {message.text && (
        <Box sx={{
          maxWidth: '85%', px: 1.5, py: 1, borderRadius: 2, whiteSpace: 'pre-line', overflowWrap: 'anywhere',
          bgcolor: mine ? 'primary.main' : 'grey.100', color: mine ? 'primary.contrastText' : 'text.primary',
          borderBottomRightRadius: mine ? 4 : 16, borderBottomLeftRadius: mine ? 16 : 4,
        }}>
          <Typography variant="body2" component="p"><span className="visually-hidden">{who}: </span>{message.text}</Typography>
        </Box>
      )}
      {message.custom && <Box sx={{ width: '92%', mt: message.text ? 0.75 : 0 }}><Custom custom={message.custom} onSend={choose} disabled={!canSend || !showReplies} /></Box>}
      <Typography variant="caption" color="text.secondary" component="time" dateTime={new Date(message.timestamp).toISOString()} sx={{ mt: 0.25 }}>
        {clock(message.timestamp)}
      </Typography>
      {showReplies && message.custom?.type !== 'flight_offers' && ( // offers carry their choices on the cards
        <Stack direction="row" useFlexGap spacing={0.75} sx={{ mt: 0.5, flexWrap: 'wrap' }} role="group" aria-label="Suggested replies">
          {message.replies.map((reply) => (
            <Button key={reply.payload + reply.title} size="small" variant="outlined" disabled={!canSend} sx={{ borderRadius: 4, textTransform: 'none' }}
              onClick={() => onSend(reply.payload, reply.title)} data-testid="quick-reply">
              {reply.title}
            </Button>
          ))}
        </Stack>
      )}
    </Box>
  )
}
