import { Card, CardContent, Chip, Stack, Typography } from '@mui/material'

const COLOURS = { new: 'info', open: 'primary', pending: 'warning', hold: 'default', solved: 'success', closed: 'default' }

/** A support ticket's status at a glance. */
export default function Ticket({ ticket }) {
  return (
    <Card variant="outlined" data-testid="ticket-status" role="group" aria-label={`Ticket ${ticket.id}`}>
      <CardContent sx={{ p: 1.5, '&:last-child': { pb: 1.5 } }}>
        <Stack sx={{ justifyContent: "space-between", alignItems: "center" }} direction="row">
          <Typography variant="subtitle2" component="p">Ticket {ticket.id}</Typography>
          <Chip size="small" label={ticket.status} color={COLOURS[ticket.status] || 'default'} />
        </Stack>
        <Typography variant="body2" component="p">{ticket.subject}</Typography>
        {ticket.updated && <Typography variant="caption" color="text.secondary" component="p">Last update {ticket.updated}</Typography>}
      </CardContent>
    </Card>
  )
}
