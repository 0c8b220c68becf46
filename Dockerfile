# Portal image: one image for web (gunicorn), Celery worker and Celery beat.
# Build:  docker build -t cancer-care-portal .
# Run the whole set on one host: docker compose up (see docker-compose.yml).

# --- Stage 1: NHS.UK frontend assets from npm (package-lock.json pins nhsuk-frontend) ---
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- Stage 2: the Python runtime ---
FROM python:3.11-slim-bookworm AS runtime

ENV DJANGO_SETTINGS_MODULE=portal.settings.production \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries (Pango, HarfBuzz, fonts, MIME data) for PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libpangocairo-1.0-0 \
        libharfbuzz0b \
        fonts-dejavu-core \
        shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so code changes do not reinstall them. The lock pins the whole tree
# with hashes; its local --extra-index-url / --find-links lines are absent in the build and
# pip only warns about them.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY . .
COPY --from=assets /build/node_modules/nhsuk-frontend/dist ./node_modules/nhsuk-frontend/dist

# Static files are collected into the image (var/staticfiles, served by WhiteNoise).
# Production settings insist on these variables; the values below exist only for this
# RUN line and connect to nothing (collectstatic needs no database or broker).
RUN SECRET_KEY=build-only-not-a-secret-7f3c9a1e5b2d8f4a6c0e9b3d7a1f5c8e2b6d0a4f9c3e7b1d5 \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# Run as an unprivileged user. The code stays root-owned (read-only to the app);
# var/ is writable for anything the app keeps at run time.
RUN useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin portal \
    && mkdir -p var \
    && chown portal:portal var
USER portal

EXPOSE 8000

# /health checks the database and the broker (200 or 503). The Host header is the first
# ALLOWED_HOSTS entry, and X-Forwarded-Proto keeps SECURE_SSL_REDIRECT from redirecting.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; u.urlopen(u.Request('http://127.0.0.1:8000/health', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=8)"

CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
