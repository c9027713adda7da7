import { createElement } from 'react'

// Help articles come from our own help center, but their HTML is still untrusted here: only these
// tags survive, links only to web or mail addresses, and nothing reaches innerHTML.
const ALLOWED = new Set(['p', 'ul', 'ol', 'li', 'strong', 'em', 'a'])
const DROPPED = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'svg', 'math', 'head', 'title'])
const BLOCKS = new Set(['body', 'ul', 'ol'])

export function safeHref(href) {
  try {
    const url = new URL(href, window.location.origin)
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null
  } catch {
    return null
  }
}

function walk(node, parentTag) {
  if (node.nodeType === Node.TEXT_NODE) {
    return BLOCKS.has(parentTag) && !node.textContent.trim() ? [] : [node.textContent]
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return []
  const tag = node.tagName.toLowerCase()
  if (DROPPED.has(tag)) return []
  const children = [...node.childNodes].flatMap((child) => walk(child, tag))
  if (!ALLOWED.has(tag)) return children // unknown tags are unwrapped: their text stays
  if (tag === 'a') {
    const href = safeHref(node.getAttribute('href') || '')
    return href ? [{ tag, href, children }] : children
  }
  return [{ tag, children }]
}

/** The HTML as a tree of allowed elements ({ tag, href?, children }) and strings. */
export function parseHelpHtml(html) {
  const doc = new DOMParser().parseFromString(String(html || ''), 'text/html')
  return [...doc.body.childNodes].flatMap((node) => walk(node, 'body'))
}

function toReact(node, key) {
  if (typeof node === 'string') return node
  const props = { key }
  if (node.tag === 'a') Object.assign(props, { href: node.href, target: '_blank', rel: 'noopener noreferrer' })
  return createElement(node.tag, props, ...node.children.map(toReact))
}

/** Renders help center HTML (an article body or a search snippet) through the allow-list above. */
export default function HelpHtml({ html, component = 'div', ...rest }) {
  return createElement(component, rest, ...parseHelpHtml(html).map(toReact))
}
