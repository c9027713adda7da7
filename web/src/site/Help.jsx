import { Box, Button, Typography } from '@mui/material'

const QUESTIONS = [
  ['How do I change a booking?', 'Ask the assistant: "cancel AB12CD" quotes the refund before anything happens.'],
  ['Where is my ticket?', 'Ask "my tickets" or "status of ticket 1042".'],
  ['Can I talk to a person?', 'Say "talk to an agent": the assistant hands the conversation to our team with the transcript.'],
]

export default function Help() {
  return (
    <Box>
      <Typography variant="h4" component="h1" gutterBottom>Help</Typography>
      {QUESTIONS.map(([q, a]) => (
        <Box key={q} sx={{ mb: 2 }}>
          <Typography variant="h6" component="h2">{q}</Typography>
          <Typography>{a}</Typography>
        </Box>
      ))}
      <Button variant="contained" onClick={() => window.travelAssistant.store.dispatch({ type: 'chat/panelOpened' })}>Chat with the assistant</Button>
    </Box>
  )
}
