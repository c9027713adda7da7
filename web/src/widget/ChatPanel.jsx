import {
  Alert, Box, FormControlLabel, IconButton, LinearProgress, Paper, Stack, Switch, TextField, Tooltip, Typography, useMediaQuery,
} from '@mui/material'
import { useEffect, useRef, useState } from 'react'
import { useDispatch, useSelector } from 'react-redux'
import { MAX_MESSAGE_LENGTH, panelClosed, proactiveToggled, selectActiveRepliesId } from './chatSlice'
import { useConnection } from './context'
import Message from './Message'

const STATUS = {
  online: { label: 'Online', colour: '#5fd068' },
  connecting: { label: 'Connecting…', colour: '#ffc24b' },
  reconnecting: { label: 'Reconnecting…', colour: '#ffc24b' },
  offline: { label: 'Offline', colour: '#ff8a80' },
}

function Typing() {
  return (
    <Box role="status" aria-label="The assistant is typing" data-testid="typing" sx={{ display: 'flex', gap: 0.5, px: 1.5, py: 1, bgcolor: 'grey.100', borderRadius: 2, width: 'fit-content', mb: 1 }}>
      {[0, 1, 2].map((i) => (
        <Box key={i} sx={{
          width: 6, height: 6, borderRadius: '50%', bgcolor: 'grey.600',
          animation: 'typing 1.2s infinite', animationDelay: `${i * 0.2}s`,
          '@keyframes typing': { '0%, 60%, 100%': { opacity: 0.3 }, '30%': { opacity: 1 } },
        }} />
      ))}
    </Box>
  )
}

function Composer({ canSend, onSend }) {
  const [text, setText] = useState('')
  const input = useRef(null)
  useEffect(() => { input.current?.focus() }, [])
  const submit = (event) => {
    event.preventDefault()
    const message = text.trim()
    if (message && message.length <= MAX_MESSAGE_LENGTH && onSend(message)) setText('')
  }
  const tooLong = text.length > MAX_MESSAGE_LENGTH
  return (
    <Box component="form" onSubmit={submit} sx={{ display: 'flex', gap: 1, p: 1, borderTop: 1, borderColor: 'divider' }}>
      <TextField
        inputRef={input} value={text} onChange={(e) => setText(e.target.value)} size="small" fullWidth multiline maxRows={4}
        placeholder={canSend ? 'Type a message…' : 'Waiting for the connection…'}
        error={tooLong} helperText={tooLong ? `Please keep it under ${MAX_MESSAGE_LENGTH} characters (${text.length} now).` : null}
        slotProps={{ htmlInput: { 'aria-label': 'Message to the travel assistant', 'data-testid': 'composer' } }}
        onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey) submit(e) }}
      />
      <IconButton type="submit" color="primary" aria-label="Send message" disabled={!canSend || !text.trim() || tooLong}>
        <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M2 21l21-9L2 3v7l15 2-15 2z" /></svg>
      </IconButton>
    </Box>
  )
}

/** The chat panel: header with status and the proactive switch, messages, composer. A dialog
 * that does not trap the page: the customer can keep using the site beside it. */
export default function ChatPanel() {
  const dispatch = useDispatch()
  const connection = useConnection()
  const { messages, connection: status, awaitingReply, proactiveEnabled, error } = useSelector((s) => s.chat)
  const activeReplies = useSelector(selectActiveRepliesId)
  const phone = useMediaQuery('(max-width:600px)')
  const end = useRef(null)
  const canSend = status === 'online'
  useEffect(() => { end.current?.scrollIntoView?.({ block: 'end' }) }, [messages.length, awaitingReply])

  const send = (text, display) => connection.send(text, display)
  const toggleProactive = (enabled) => {
    dispatch(proactiveToggled(enabled))
    connection.activity({ type: 'proactive', enabled })
  }
  const { label, colour } = STATUS[status]
  return (
    <Paper
      elevation={8} role="dialog" aria-label="Travel assistant chat" data-testid="chat-panel"
      onKeyDown={(e) => { if (e.key === 'Escape') dispatch(panelClosed()) }}
      sx={phone
        ? { position: 'fixed', inset: 0, zIndex: 1300, display: 'flex', flexDirection: 'column', borderRadius: 0 }
        : { position: 'fixed', right: 24, bottom: 96, width: 380, height: 'min(620px, calc(100vh - 120px))', zIndex: 1300, display: 'flex', flexDirection: 'column', borderRadius: 3, overflow: 'hidden' }}
    >
      <Box sx={{ bgcolor: 'primary.main', color: 'primary.contrastText', px: 2, py: 1 }}>
        <Stack sx={{ justifyContent: "space-between", alignItems: "center" }} direction="row">
          <Box>
            <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 700 }}>Travel assistant</Typography>
            <Stack sx={{ alignItems: "center" }} direction="row" spacing={0.75} role="status" aria-live="polite">
              <Box sx={{ width: 8, height: 8, borderRadius: '50%', bgcolor: colour, border: '1px solid white' }} />
              <Typography variant="caption" data-testid="connection-status">{label}</Typography>
            </Stack>
          </Box>
          <IconButton aria-label="Close chat" onClick={() => dispatch(panelClosed())} sx={{ color: 'inherit' }}>
            <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M19 6.4L17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z" /></svg>
          </IconButton>
        </Stack>
        <Tooltip title="When on, the assistant may offer help if a search or the checkout seems to be giving you trouble">
          <FormControlLabel
            sx={{ m: 0 }}
            control={<Switch size="small" color="default" checked={proactiveEnabled} onChange={(e) => toggleProactive(e.target.checked)}
              slotProps={{ input: { 'data-testid': 'proactive-switch' } }} />}
            label={<Typography variant="caption">Offer me help when I seem stuck</Typography>}
          />
        </Tooltip>
      </Box>
      {status !== 'online' && <LinearProgress color="warning" aria-hidden="true" />}
      {error && error.code !== 'connect_error' && <Alert severity="warning" sx={{ borderRadius: 0 }}>{error.reason}</Alert>}
      <Box component="ol" role="log" aria-live="polite" aria-label="Conversation" data-testid="message-list"
        sx={{ flex: 1, overflowY: 'auto', listStyle: 'none', m: 0, px: 1.5, pt: 1.5 }}>
        {messages.length === 0 && (
          <Typography component="li" variant="body2" color="text.secondary" sx={{ textAlign: 'center', mt: 4 }}>
            Say hi, or ask me to find a flight.
          </Typography>
        )}
        {messages.map((m) => <Message key={m.id} message={m} showReplies={m.id === activeReplies} onSend={send} canSend={canSend} />)}
        {awaitingReply && <li><Typing /></li>}
        <li ref={end} aria-hidden="true" />
      </Box>
      <Composer canSend={canSend} onSend={send} />
    </Paper>
  )
}
