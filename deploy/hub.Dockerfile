# The hub's image for Zero to JupyterHub: the chart's own hub image plus this package, which runs the class
# service (trotsky-edu class-service) in the hub's pod, and psycopg2 for its PostgreSQL database. Use the
# k8s-hub tag of the chart version you install. Build it from the checkout's top folder (deploy/README.md):
#   docker build -f deploy/hub.Dockerfile -t YOUR-REGISTRY/trotsky-edu-hub:0.1.0 .
ARG BASE_IMAGE=quay.io/jupyterhub/k8s-hub:4.3.3
FROM ${BASE_IMAGE}

USER root
COPY pyproject.toml README.md /tmp/trotsky-edu/
COPY src /tmp/trotsky-edu/src
COPY data /tmp/trotsky-edu/data
RUN python3 -m pip install --no-cache-dir /tmp/trotsky-edu psycopg2-binary \
 && rm -rf /tmp/trotsky-edu
# The lessons, for the dashboard's wording of each objective (TROTSKY_EDU_LESSONS in config.yaml).
COPY lessons /srv/trotsky-edu/lessons
# Back to the chart's hub user (jovyan, uid 1000).
USER 1000
