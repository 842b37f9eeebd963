"""Running the bot as a service: health and readiness, Prometheus metrics, one log line per handled
question, and the JSON log format. No front-end code: the Slack layer (or any other) hands these
the events; `bot.service.http` serves them over WSGI."""
