# Наставник-бот: uv's two-stage pattern (https://docs.astral.sh/uv/guides/integration/docker/).
# The builder installs uv from PyPI instead of copying it from ghcr.io/astral-sh/uv.
# Both stages use the same image, so the venv's interpreter link (/usr/local/bin/python3.11)
# is valid in the runtime stage too.
ARG PYTHON_IMAGE=python:3.11-slim

# --- builder: the locked dependencies in /app/.venv ---------------------------------
FROM ${PYTHON_IMAGE} AS builder

RUN pip install --no-cache-dir "uv==0.13.9"

# Compile bytecode now (the runtime user cannot write into /app); copy files instead of
# hard-linking from uv's cache; use the image's Python, never a downloaded one.
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_NO_CACHE=1

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project

# Then the source. The project is not installed as a package ([tool.uv] package = false):
# it runs from /app, so this sync only checks that the environment matches the lock.
COPY . .
RUN uv sync --locked --no-dev

# --- runtime ------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}

RUN groupadd --system --gid 10001 nastavnik \
    && useradd --system --uid 10001 --gid nastavnik --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin nastavnik

WORKDIR /app

# Code and venv stay owned by root (read-only for the bot); only /app/data is writable,
# for the SQLite file when no DATABASE_URL is given (mount a volume there to keep it).
COPY --from=builder /app /app
RUN mkdir -p /app/data && chown nastavnik:nastavnik /app/data

ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL="sqlite+aiosqlite:////app/data/nastavnik.db"

USER nastavnik

# Webhook mode listens here (WEBHOOK_PORT); polling mode needs no open port.
EXPOSE 8080

CMD ["python", "-m", "bot", "run"]
