import { Alert, Box, Button, Stack, TextField, Typography } from '@mui/material'
import { useEffect, useRef, useState } from 'react'
import { day, price, time } from '../widget/format'
import { api } from './api'

const IDLE_REPORT_EVERY_SECONDS = 30 // how long the customer has been quiet at checkout, reported every 30 s

function check(form) {
  const errors = {}
  if (!form.given_name.trim()) errors.given_name = 'Enter the first name as on the passport'
  if (!form.family_name.trim()) errors.family_name = 'Enter the last name as on the passport'
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.born_on) || new Date(form.born_on) > new Date()) errors.born_on = 'Enter a date of birth in the past'
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(form.email)) errors.email = 'Enter an email address like name@example.com'
  return errors
}

/** Checkout: form errors and idling are reported to the assistant, which may offer help. */
export default function Checkout({ offer, customer, report, onDone, onBack }) {
  const [form, setForm] = useState({ given_name: '', family_name: '', born_on: '', email: customer?.email || '' })
  const [errors, setErrors] = useState({})
  const [result, setResult] = useState(null)
  const lastInput = useRef(Date.now())
  useEffect(() => {
    let reported = 0
    const timer = setInterval(() => {
      const seconds = Math.floor((Date.now() - lastInput.current) / 1000)
      const period = Math.floor(seconds / IDLE_REPORT_EVERY_SECONDS)
      if (period > reported) report({ type: 'idle', page: '/checkout', seconds })
      reported = period
    }, 5000)
    return () => clearInterval(timer)
  }, [report])
  if (!offer) {
    return (
      <Box>
        <Typography variant="h4" component="h1" gutterBottom>Checkout</Typography>
        <Typography>Choose a flight first.</Typography>
        <Button onClick={onBack} sx={{ mt: 1 }}>Search flights</Button>
      </Box>
    )
  }
  const set = (field) => (e) => { lastInput.current = Date.now(); setForm({ ...form, [field]: e.target.value }) }
  const submit = async (event) => {
    event.preventDefault()
    const found = check(form)
    setErrors(found)
    Object.entries(found).forEach(([field, error]) => report({ type: 'form_error', page: '/checkout', form: 'passenger', field, error }))
    if (Object.keys(found).length) return
    try {
      // One key per offer: pressing Book twice, or again after a timeout, books once.
      const idempotencyKey = `site-${offer.id}`
      const order = await api('/api/orders', { method: 'POST', body: { offer_id: offer.id, ...form }, token: customer?.token, idempotencyKey })
      setResult({ order })
      const first = offer.slices[0]
      report({ type: 'booking', page: '/checkout', booking_reference: order.booking_reference, origin: first.from, destination: first.to, date: first.depart.slice(0, 10) })
    } catch (e) {
      setResult({ error: e.message })
      report({ type: 'form_error', page: '/checkout', form: 'passenger', field: 'booking', error: e.message.slice(0, 200) })
    }
  }
  const slice = offer.slices[0]
  return (
    <Box>
      <Typography variant="h4" component="h1" gutterBottom>Checkout</Typography>
      <Typography variant="subtitle1">{offer.airline}: {slice.from} → {slice.to}, {day(slice.depart)} at {time(slice.depart)}, {price(offer.price, offer.currency)}</Typography>
      {result?.order && (
        <Alert severity="success" sx={{ my: 2 }} action={<Button onClick={onDone}>My trips</Button>}>
          Booked. Your booking reference is <strong data-testid="checkout-reference">{result.order.booking_reference}</strong>.
        </Alert>
      )}
      {result?.error && <Alert severity="error" sx={{ my: 2 }}>{result.error}</Alert>}
      {!result?.order && (
        <Box component="form" onSubmit={submit} noValidate aria-label="Passenger details" sx={{ mt: 2 }}>
          <Stack spacing={2} sx={{ maxWidth: 480 }}>
            {[['given_name', 'First name'], ['family_name', 'Last name'], ['born_on', 'Date of birth'], ['email', 'Email']].map(([field, label]) => (
              <TextField key={field} label={label} value={form[field]} onChange={set(field)} error={Boolean(errors[field])} helperText={errors[field]}
                type={field === 'born_on' ? 'date' : field === 'email' ? 'email' : 'text'} slotProps={field === 'born_on' ? { inputLabel: { shrink: true } } : undefined} />
            ))}
            <Stack direction="row" spacing={1}>
              <Button type="submit" variant="contained">Book and pay {price(offer.price, offer.currency)}</Button>
              <Button onClick={onBack}>Back to results</Button>
            </Stack>
          </Stack>
        </Box>
      )}
    </Box>
  )
}
