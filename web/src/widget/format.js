// Formatting shared by the cards: times, durations, prices, in the customer's locale.
export const time = (iso) => (iso ? iso.slice(11, 16) : '')

export function duration(minutes) {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return h ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m`
}

export const stops = (n) => (n === 0 ? 'Nonstop' : `${n} stop${n > 1 ? 's' : ''}`)

export function price(amount, currency) {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(Number(amount))
  } catch {
    return `${amount} ${currency}`
  }
}

export function day(iso) {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00`)
  return date.toLocaleDateString('en-US', { weekday: 'short', day: 'numeric', month: 'short' })
}

export const clock = (ms) => new Date(ms).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' })
