import { createTheme } from '@mui/material'

// Colours chosen for contrast: white on primary is 8.4:1, secondary text on white 7.6:1.
export const theme = createTheme({
  palette: { primary: { main: '#0b4f8a' }, secondary: { main: '#a4461a' }, text: { secondary: '#4a5560' } },
  shape: { borderRadius: 10 },
  typography: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
})
