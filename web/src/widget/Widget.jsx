import { Badge, Box, Button, Fab, IconButton, Paper, Stack, Typography, useMediaQuery } from '@mui/material'
import { useEffect, useRef } from 'react'
import { useDispatch, useSelector } from 'react-redux'
import ChatPanel from './ChatPanel'
import { panelClosed, panelOpened, toastDismissed } from './chatSlice'

/** An unsolicited message while the panel is closed: a quiet note by the launcher. It is a
 * polite live region, never takes focus and never opens the panel by itself. */
function ProactiveNote({ toast, onOpen, onDismiss }) {
  return (
    <Paper role="status" aria-live="polite" elevation={6} data-testid="proactive-toast"
      sx={{ position: 'fixed', right: 24, bottom: 96, maxWidth: 'min(320px, calc(100vw - 48px))', p: 1.5, zIndex: 1299, borderRadius: 2 }}>
      <Stack sx={{ alignItems: "flex-start" }} direction="row" spacing={1}>
        <Typography variant="body2" sx={{ flex: 1, display: '-webkit-box', WebkitLineClamp: 3, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}>
          {toast.text}
        </Typography>
        <IconButton size="small" aria-label="Dismiss" onClick={onDismiss}>
          <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M19 6.4L17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z" /></svg>
        </IconButton>
      </Stack>
      <Button size="small" onClick={onOpen}>Open chat</Button>
    </Paper>
  )
}

/** The launcher, the unread badge, the proactive note and the panel. */
export default function Widget() {
  const dispatch = useDispatch()
  const { open, unread, toast } = useSelector((s) => s.chat)
  const phone = useMediaQuery('(max-width:600px)')
  const launcher = useRef(null)
  const wasOpen = useRef(open)
  useEffect(() => { // back to the launcher when the panel closes, for keyboard users
    if (wasOpen.current && !open) launcher.current?.focus()
    wasOpen.current = open
  }, [open])
  return (
    <Box className="travel-assistant-widget">
      {open && <ChatPanel />}
      {!open && toast && <ProactiveNote toast={toast} onOpen={() => dispatch(panelOpened())} onDismiss={() => dispatch(toastDismissed())} />}
      {!(open && phone) && ( // on a phone the open panel covers the screen and has its own close button
        <Badge badgeContent={open ? 0 : unread} color="error" overlap="circular" sx={{ position: 'fixed', right: 24, bottom: 24, zIndex: 1300, '& .MuiBadge-badge': { zIndex: 1051 } }}
          slotProps={{ badge: { 'data-testid': 'unread-badge', 'aria-hidden': true } }}>
          <Fab
            ref={launcher} color="primary" data-testid="launcher" aria-expanded={open}
            aria-label={open ? 'Close chat' : unread ? `Open chat, ${unread} new message${unread > 1 ? 's' : ''}` : 'Open chat with the travel assistant'}
            onClick={() => dispatch(open ? panelClosed() : panelOpened())}
          >
            <svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2zM6 9h12v2H6zm8 5H6v-2h8zm4-6H6V6h12z" /></svg>
          </Fab>
        </Badge>
      )}
    </Box>
  )
}
