import { CssBaseline, ThemeProvider } from '@mui/material'
import { createRoot } from 'react-dom/client'
import App from './site/App'
import { api, signedIn } from './site/api'
import { theme } from './site/theme'
import { AssistantWidget, startAssistant } from './widget'
import './site/site.css'

async function boot() {
  const config = await api('/api/config')
  const customer = signedIn()
  const assistant = startAssistant({ socketUrl: config.socketUrl, socketPath: config.socketPath, token: customer?.token })
  window.travelAssistant = assistant // for the page's own scripts and the browser tests
  createRoot(document.getElementById('root')).render(
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <App customer={customer} report={assistant.connection.activity} />
      <AssistantWidget assistant={assistant} />
    </ThemeProvider>,
  )
}

boot()
