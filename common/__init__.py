"""Small pieces shared by the project's services (sandbox, channel)."""
