/**
 * Imported before playwright-core: its bundled `is-wsl` probes /proc/sys/fs/binfmt_misc at import
 * time, which Deno allows only under --allow-all (`deno task test` grants less). With this
 * variable set the probe is deferred to a function playwright calls only to open an app or a
 * browser window of the desktop, which the tests never do.
 */
Deno.env.set("__IS_WSL_TEST__", "1");
