rabbitmq setup:
  cmd.script:
    - name: salt://rabbitmq-server/files/setup.sh
    - template: jinja
