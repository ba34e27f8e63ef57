rabbitmq join:
  cmd.script:
    - name: salt://rabbitmq-server/files/join.sh
    - template: jinja
