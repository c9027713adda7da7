"""Stand-ins for the vendors the assistant talks to: HubSpot (CRM), Zendesk (ticketing), Duffel
(flights). Same paths, JSON shapes, status codes and error bodies, backed by a real SQL database."""
