"""nbgrader's configuration in the students' (and the grader's) image on Zero to JupyterHub.

Kubernetes gives each student a pod of their own and no shared folder, so nbgrader's file
exchange is replaced by ngshare, a JupyterHub service that keeps releases and submissions
and checks who asks through the hub's API (https://ngshare.readthedocs.io, "Installing on a
Z2JH Cluster"). ngshare_exchange's ``configureExchange(c)`` sets these same classes; they are
spelled out so the configuration can be read without it.
"""
c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "descent"
c.ExchangeFactory.exchange = "ngshare_exchange.Exchange"
c.ExchangeFactory.fetch_assignment = "ngshare_exchange.ExchangeFetchAssignment"
c.ExchangeFactory.fetch_feedback = "ngshare_exchange.ExchangeFetchFeedback"
c.ExchangeFactory.release_assignment = "ngshare_exchange.ExchangeReleaseAssignment"
c.ExchangeFactory.release_feedback = "ngshare_exchange.ExchangeReleaseFeedback"
c.ExchangeFactory.list = "ngshare_exchange.ExchangeList"
c.ExchangeFactory.submit = "ngshare_exchange.ExchangeSubmit"
c.ExchangeFactory.collect = "ngshare_exchange.ExchangeCollect"
