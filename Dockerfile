# One image for every Python process of the project (sandbox, action server, rasa, analytics); the
# command chosen in docker-compose.yml decides which one a container runs. Build after `make train`:
# the trained model in models/ is copied in.
FROM python:3.10-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY requirements.in constraints.txt ./
RUN pip install --no-cache-dir -r requirements.in -c constraints.txt
COPY . .
EXPOSE 5005 5055 8010
CMD ["python", "-m", "sandbox", "serve", "--host", "0.0.0.0", "--port", "8010"]
