// The site's own backend (web/server.py): sign-in, flight search, checkout, trips.
const CUSTOMER_KEY = 'travel-site:customer'

export async function api(path, { method = 'GET', body, token, idempotencyKey } = {}) {
  const headers = { Accept: 'application/json' }
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey
  if (body) headers['Content-Type'] = 'application/json'
  if (token) headers.Authorization = `Bearer ${token}`
  const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined })
  const data = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(data.error || `request failed (${response.status})`)
  return data
}

export function signedIn() {
  try {
    const customer = JSON.parse(window.localStorage.getItem(CUSTOMER_KEY))
    return customer && customer.expires * 1000 > Date.now() ? customer : null
  } catch {
    return null
  }
}

export const remember = (customer) => window.localStorage.setItem(CUSTOMER_KEY, JSON.stringify(customer))
export const forget = () => window.localStorage.removeItem(CUSTOMER_KEY)
