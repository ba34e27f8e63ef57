passwords:
  mysql: changeme-mysql
