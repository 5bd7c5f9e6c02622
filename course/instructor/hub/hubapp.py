"""JupyterHub, patient with a managed service that starts slowly (``python -m course.instructor.hub.hubapp``).

JupyterHub 5 gives a managed service ten one-second tries to answer, then exits. The
formgrader (a Jupyter server importing nbgrader and JupyterLab) can take longer on a
loaded two-core machine; this hub keeps waiting, up to :data:`SERVICE_START_SECONDS`, for as
long as the service's process is alive. Nothing else differs from ``jupyterhub``.
"""
from __future__ import annotations

from jupyterhub.app import JupyterHub
from jupyterhub.objects import Server
from jupyterhub.utils import AnyTimeoutError

#: How long a managed service may take to answer before the hub gives up (seconds).
SERVICE_START_SECONDS = 120


class PatientHub(JupyterHub):
    """``jupyterhub`` whose managed services get :data:`SERVICE_START_SECONDS` to come up."""

    async def start_service(self, service_name, service, ssl_context=None):
        if await super().start_service(service_name, service, ssl_context):
            return True
        if not (service.managed and service.url and service.spawner):
            return False
        for _ in range(SERVICE_START_SECONDS):
            if await service.spawner.poll() is not None:
                return False  # it died: the hub's own message above says so
            try:
                await Server.from_orm(service.orm.server).wait_up(http=True, timeout=1, ssl_context=ssl_context)
            except AnyTimeoutError:
                continue
            self.log.info("Service %s answered after all", service_name)
            return True
        return False


main = PatientHub.launch_instance

if __name__ == "__main__":
    main()
