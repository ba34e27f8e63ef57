/var/lib/rabbitmq/.erlang.cookie:
  file:
    - managed
    - mode: 0400
    - makedirs: True
    - contents_pillar: rabbitmq_cookie
rabbitmq-server:
  pkg:
    - installed
  service.running:
    - watch:
      - file: /var/lib/rabbitmq/.erlang.cookie
