# One image for every Python process of the project (sandbox, action server, rasa, analytics, the
# travel site); the command chosen in docker-compose.yml decides which one a container runs. Build
# after `make train`: the trained model in models/ is copied in.

# The site and widget are built into static files by Node, then served by web/server.py.
FROM node:20-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/index.html web/vite.config.js ./
COPY web/src ./src
RUN npx vite build

FROM python:3.10-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY requirements.in constraints.txt ./
RUN pip install --no-cache-dir -r requirements.in -c constraints.txt
COPY . .
COPY --from=web /web/dist ./web/dist
EXPOSE 5005 5055 8010 3000
CMD ["python", "-m", "sandbox", "serve", "--host", "0.0.0.0", "--port", "8010"]
