"""The course on JupyterHub: a class service that collects answers live, and the kernel's side of it.

- :mod:`~trotsky_edu.hub.service`: the hub service (``trotsky-edu class-service``) and the
  teacher's dashboard;
- :mod:`~trotsky_edu.hub.store`: its database (SQLite by default, any SQLAlchemy URL);
- :mod:`~trotsky_edu.hub.events`: what a delivery of answer events must look like;
- :mod:`~trotsky_edu.hub.outbox`: in a student's kernel, sending the answers the progress
  file keeps, without ever making the student wait.
"""
