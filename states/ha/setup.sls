salt://ha/files/setup.sh:
  cmd.script:
    - template: jinja
