# factbot: the CLI and the Discord bot in one slim image.
#   docker build -t factbot .
#   docker run --rm -v factbot-data:/data factbot ask "Is there any progress in the Cairo truce talks?"
#   docker run -d -e DISCORD_TOKEN=... -v factbot-data:/data factbot run
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY store ./store
COPY bot ./bot
RUN python -m venv /opt/factbot && /opt/factbot/bin/pip install .

FROM python:3.11-slim
ENV PATH=/opt/factbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    FACTBOT_DATA_DIR=/data
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin factbot \
    && mkdir -p /data && chown factbot:factbot /data
COPY --from=build /opt/factbot /opt/factbot
USER factbot
WORKDIR /data
VOLUME ["/data"]
ENTRYPOINT ["factbot"]
CMD ["--help"]
