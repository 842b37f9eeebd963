# csds-bot in a container: Socket Mode by default (no inbound port needed), health on port 3000.
# HTTP mode instead: command `csds-bot slack --http --port 3000` (Events API and health on the same port).
# Build: docker build -t csds-bot .    Run: see compose.yaml and the README's "Deploying" section.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A user of its own: the bot never needs root, and what it writes (knowledge, log) is owned by it.
RUN groupadd --gid 10001 csds \
    && useradd --create-home --uid 10001 --gid 10001 csds \
    && mkdir /data \
    && chown csds:csds /data

WORKDIR /src
COPY pyproject.toml setup.py MANIFEST.in README.md LICENSE ./
COPY .ci/constraints.txt ./constraints.txt
COPY bot ./bot
COPY knowledge ./knowledge
# Not editable: the package carries the bundled knowledge (bot/_knowledge). Versions are the ones CI
# was last green with.
RUN pip install --no-cache-dir --constraint constraints.txt . \
    && cp -r knowledge /knowledge \
    && chown -R csds:csds /knowledge \
    && rm -rf /src

# The knowledge the bot answers from: a writable copy of the bundled folder (so `/csds add` can save to
# it). Mount your own folder, or a volume shared by replicas, over /knowledge (or point
# CSDS_BOT_KNOWLEDGE elsewhere). CSDS_BOT_DB: the interaction log (a SQLite file under /data, a volume),
# or a postgresql:// URL for replicas.
ENV CSDS_BOT_KNOWLEDGE=/knowledge \
    CSDS_BOT_DB=/data/interactions.db

USER 10001:10001
WORKDIR /home/csds
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]

CMD ["csds-bot", "slack", "--health-port", "3000", "--log-format", "json"]
