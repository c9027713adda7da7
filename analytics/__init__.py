"""The analytics stream: Rasa's events from RabbitMQ into PostgreSQL tables an analyst can query."""
