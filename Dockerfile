# pgactive-server as a container: docker build -t pgactive-tools .
#
# Stage "build" bundles main_server.ts into one JavaScript file (npm packages inlined; the same
# bundle `deno task compile` compiles and the tests run) and gathers the Deno runtime with the
# shared libraries it links. The final image is FROM scratch: that runtime, the bundle, a default
# config and a non-root user; no shell, no package manager. Config: mount a file on
# /app/config/tools.yaml, or use the default one with environment variables alone
# (PGACTIVE_NODE1_DSN, PGACTIVE_TOOLS_*). History: the /app/data volume (the root filesystem may be
# read-only). HEALTHCHECK: `pgactive-server --healthcheck` (GET /health, exit 0 or 1).
ARG DENO_VERSION=2.9.6

FROM denoland/deno:${DENO_VERSION} AS build
# Commit shown by --version: docker build --build-arg PGACTIVE_TOOLS_COMMIT=$(git rev-parse HEAD) .
ARG PGACTIVE_TOOLS_COMMIT=unknown
LABEL pgactive-tools.stage="build"
ENV DENO_NO_UPDATE_CHECK=1
WORKDIR /src
COPY deno.json ./
COPY main_server.ts main_cli.ts ./
COPY lib/ lib/
COPY config/tools.yaml /out/rootfs/app/config/tools.yaml
# npm packages come from the registry, pinned by lib/release/bundle.lock (server and CLI only).
RUN deno run --no-lock --node-modules-dir=none --allow-read --allow-write --allow-run --allow-env \
      lib/release/compile.ts \
      --bundle-only --commit "${PGACTIVE_TOOLS_COMMIT}" --out /out/bundle \
 && mkdir -p /out/rootfs/usr/bin /out/rootfs/etc /out/rootfs/deno-dir /out/data \
 && cp /out/bundle/pgactive-server.js /out/rootfs/app/ \
 && cp "$(command -v deno)" /out/rootfs/usr/bin/deno \
 && for lib in $(ldd /out/rootfs/usr/bin/deno | grep -o '/[^ ]*'); do cp --parents -L "$lib" /out/rootfs/; done \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' \
      > /out/rootfs/etc/passwd \
 && printf 'root:x:0:\nnonroot:x:65532:\n' > /out/rootfs/etc/group \
 && /out/rootfs/usr/bin/deno --version

FROM scratch
LABEL org.opencontainers.image.title="pgactive-server" \
      org.opencontainers.image.description="pgactive-tools collector and HTTP API for pgactive clusters"
COPY --from=build /out/rootfs/ /
COPY --from=build --chown=65532:65532 /out/data/ /app/data/
ENV DENO_DIR=/deno-dir DENO_NO_UPDATE_CHECK=1 NO_COLOR=1
WORKDIR /app
USER 65532:65532
EXPOSE 8080
VOLUME ["/app/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/usr/bin/deno", "run", "--no-config", "--no-lock", "--no-prompt", "--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys=uid,gid,userInfo,osUptime", "/app/pgactive-server.js", "--healthcheck"]
ENTRYPOINT ["/usr/bin/deno", "run", "--no-config", "--no-lock", "--no-prompt", "--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys=uid,gid,userInfo,osUptime", "/app/pgactive-server.js"]
