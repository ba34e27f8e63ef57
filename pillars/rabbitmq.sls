# Erlang cookie shared by the RabbitMQ cluster nodes.
rabbitmq_cookie: changeme-rabbitmq-cookie

rabbitmq:
  guest: changeme-rabbitmq-guest
  openstack: changeme-rabbitmq-openstack
