# routinepress serve in a container: the editor and the JSON API for a clinic network, run by
# several uvicorn workers behind the clinic's reverse proxy (TLS ends there). See README, "Serving".
#
#   docker build -t routinepress .
#   docker run -d -p 127.0.0.1:8000:8000 -v /srv/clinic:/clinic \
#     -e ROUTINEPRESS_TOKEN=... -e ROUTINEPRESS_ALLOWED_HOSTS=hep.clinic.lan -e WORKERS=4 routinepress
FROM python:3.11-slim

WORKDIR /opt/routinepress
COPY pyproject.toml README.md ./
COPY src ./src
COPY catalog ./catalog
COPY templates ./templates
COPY schema ./schema
RUN pip install --no-cache-dir . \
    && python -m compileall -q /usr/local/lib/python3.11/site-packages/routinepress \
    && useradd --create-home --uid 1000 clinic

# The clinic folder (routinepress.toml, handouts/, catalog/) is mounted here; it is the only state.
VOLUME /clinic
ENV ROUTINEPRESS_FOLDER=/clinic \
    ROUTINEPRESS_CACHE_DIR=/tmp/routinepress-cache \
    WORKERS=2 \
    FORWARDED_ALLOW_IPS=*
USER clinic
EXPOSE 8000
# uvicorn builds one app per worker from the ROUTINEPRESS_* variables; without a token it will not start.
# The proxy reaches the container from outside it, so its X-Forwarded-Proto is trusted from any
# address (FORWARDED_ALLOW_IPS, which uvicorn reads): the Origin check compares the scheme, and
# behind a TLS proxy the browser's is https. Publish the port only to the proxy.
CMD ["sh", "-c", "exec uvicorn --factory routinepress.serve:from_environment --host 0.0.0.0 --port 8000 --workers \"$WORKERS\" --no-access-log --no-server-header --proxy-headers"]
