import { createContext, useContext } from 'react'

/** The widget's connection (send, activity), for components below the Widget. */
export const ConnectionContext = createContext(null)
export const useConnection = () => useContext(ConnectionContext)
