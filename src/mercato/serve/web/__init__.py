"""The dashboard: templates, static files, page routes and the cached catalogue they read."""
