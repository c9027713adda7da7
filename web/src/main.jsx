import { CssBaseline, ThemeProvider } from '@mui/material'
import { createRoot } from 'react-dom/client'
import App from './site/App'
import { api, signedIn } from './site/api'
import { watchBehaviour } from './site/behaviour'
import { theme } from './site/theme'
import { AssistantWidget, startAssistant } from './widget'
import './site/site.css'

async function boot() {
  const config = await api('/api/config')
  const customer = signedIn()
  const assistant = startAssistant({ socketUrl: config.socketUrl, socketPath: config.socketPath, token: customer?.token })
  window.travelAssistant = assistant // for the page's own scripts and the browser tests
  // Page views also tell the behaviour watcher where the customer is (quick backs, dead clicks).
  const behaviour = watchBehaviour(assistant.connection.activity)
  const report = (event) => {
    if (event.type === 'page_view') behaviour.pageViewed(event.page)
    assistant.connection.activity(event)
  }
  createRoot(document.getElementById('root')).render(
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <App customer={customer} report={report} />
      <AssistantWidget assistant={assistant} />
    </ThemeProvider>,
  )
}

boot()
