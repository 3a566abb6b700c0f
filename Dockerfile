# pgactive-server as a sidecar. A stub until the shipping issue: it runs the server from source
# with Deno (not yet a `deno compile` binary). Not built here: this machine has no Docker engine.
FROM denoland/deno:2.9.6
WORKDIR /app
COPY deno.json deno.lock* ./
COPY lib/ lib/
COPY main_server.ts main_cli.ts ./
COPY config/ config/
RUN deno install && deno cache main_server.ts main_cli.ts
USER deno
EXPOSE 8080
VOLUME ["/app/data"]
ENTRYPOINT ["deno", "run", "--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys", "main_server.ts"]
CMD ["--config", "/app/config/tools.yaml"]
