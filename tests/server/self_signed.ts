/** A throwaway self-signed certificate (openssl) for TLS tests. */

/** Writes `cert.pem` and `key.pem` into `dir` for `subjectAltName` (e.g. `IP:127.0.0.1`). */
export async function selfSignedCert(
  dir: string,
  subjectAltName: string,
): Promise<{ certFile: string; keyFile: string }> {
  const certFile = `${dir}/cert.pem`;
  const keyFile = `${dir}/key.pem`;
  const cn = subjectAltName.replace(/^(IP|DNS):/, "");
  const out = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      `/CN=${cn}`,
      "-addext",
      `subjectAltName=${subjectAltName}`,
      "-addext",
      "basicConstraints=critical,CA:FALSE",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ], // deno-fmt-ignore
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`openssl: ${new TextDecoder().decode(out.stderr)}`);
  return { certFile, keyFile };
}
