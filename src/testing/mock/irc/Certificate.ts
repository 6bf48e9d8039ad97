/**
 * A self-signed TLS certificate and key for the mock IRC server, for `localhost` and `127.0.0.1`
 * (generated once with openssl, RSA 2048, valid until 2126). It is a test fixture shipped as a
 * constant so users of the package get it too: trust it with `tls.connect({ ca: certificatePem })`
 * or connect with `rejectUnauthorized: false`. Never use it for anything but loopback tests.
 *
 * Regenerate with:
 * `openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj "/CN=localhost"
 *  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -addext "basicConstraints=critical,CA:TRUE"
 *  -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign"
 *  -addext "extendedKeyUsage=serverAuth" -keyout key.pem -out cert.pem`
 *
 * @since 0.1.0
 */

/**
 * The PEM certificate (also usable as the CA to trust).
 *
 * @since 0.1.0
 * @category constants
 */
export const certificatePem = `-----BEGIN CERTIFICATE-----
MIIDTjCCAjagAwIBAgIUR1vwsL6UdS87H2zcX5GsAIbAgfgwDQYJKoZIhvcNAQEL
BQAwFDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyODA1MzQyOFoYDzIxMjYx
MTA0MDUzNDI4WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQCXQgEKfXe0yca8JJ9KWLhpAnTO+/UzDdaD3eNBpjvZ
NU00QYcgkyrrlsHcxuZwmt0lkAPaFCRcUVFJUj105gLucFChSdbnNx7VdRjFQIwC
EXOl6/dyXwJBuB7s7EELLd+LxLl+AtJJniVpSZMXijjqiJZ1CUrne0LyfpMMv2h1
4hr+vLLQ17Rs8ba07QsUP/miar8eVkX44U793Zk/13TCsdjxCu8XWszLxREYXuVd
gVAlG09o3ZtR7c+n6A51tLqnvkEhJ/VNDJ98M0Pi2cekHWCIYG7hvuLnIjmrVWkI
Mc6V2eZUh/ruD8p4b8UqKIYA0zKYGvhNt5OY7y8J1liZAgMBAAGjgZUwgZIwHQYD
VR0OBBYEFAbmPbb3JCaaIyVRvmrrA9zpPb8SMB8GA1UdIwQYMBaAFAbmPbb3JCaa
IyVRvmrrA9zpPb8SMBoGA1UdEQQTMBGCCWxvY2FsaG9zdIcEfwAAATAPBgNVHRMB
Af8EBTADAQH/MA4GA1UdDwEB/wQEAwICpDATBgNVHSUEDDAKBggrBgEFBQcDATAN
BgkqhkiG9w0BAQsFAAOCAQEAi5VKI5/nlOXfpfWiLEbAMpd4TlXcOdbH4+fMpxYq
GFcgiXLTaC3gNjKoml1cwQ7rZIIIt++o/pc7lqKuhakgUmrSqKqjJfwlI6RBIVJd
oBKpWTKozaHq8dVOFTBDUcbHsBVyGN7QqxntCPftc8+ijEU9jtqC4ykmBpeQlk1F
8PA/NX27nQqBT3KYJS4ESVaOisXOVQtWeo3vw3I/8xgZRRXffT+2IJXe73XYd/x+
MHKIzkwJWWI382bIEU73eFlib8xyPRaNdYByaYrNX4exthMRaCZQgQRxAEFIYI0c
z6ZbZlU8mqapeRCl+1cu3g1fVvtGlE7eBx8G3GW/OVZXcw==
-----END CERTIFICATE-----
`

/**
 * The PEM private key matching {@link certificatePem}. Public on purpose: a loopback test fixture.
 *
 * @since 0.1.0
 * @category constants
 */
export const privateKeyPem = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCXQgEKfXe0yca8
JJ9KWLhpAnTO+/UzDdaD3eNBpjvZNU00QYcgkyrrlsHcxuZwmt0lkAPaFCRcUVFJ
Uj105gLucFChSdbnNx7VdRjFQIwCEXOl6/dyXwJBuB7s7EELLd+LxLl+AtJJniVp
SZMXijjqiJZ1CUrne0LyfpMMv2h14hr+vLLQ17Rs8ba07QsUP/miar8eVkX44U79
3Zk/13TCsdjxCu8XWszLxREYXuVdgVAlG09o3ZtR7c+n6A51tLqnvkEhJ/VNDJ98
M0Pi2cekHWCIYG7hvuLnIjmrVWkIMc6V2eZUh/ruD8p4b8UqKIYA0zKYGvhNt5OY
7y8J1liZAgMBAAECggEANS1K0WXP7nrbyCx15fzwBFcNOvHAwCy2xJB/Q4bOVqxT
ErKQ76Zdugq76ELzJBaF9h0+BW78Y4phMg5cNdthn3NUHYgoqgwqZnAu/7YUIuwA
xQ4C5i45zGIPWUssCOKdS3WjowYZ6TDUxUHNGUMKhIX1o3rbXytqG3fdeedXMc38
PE9vvVrx29zfxh8TG2saTvZX0+icC5PaeWbqNULEDByZMF89vtVrkDcx+bLrwBH/
Y52NRaA+OCwPD+N9+OjDciIwCGSXJWZboAc41uBSEfSqOjGBJ3ggCVdnJRwh1uNm
loZXzDmph0yu17H5xr5Y1i+KnvTDRqX1GKy+nIUaGwKBgQDI0Wkg5iCUxSj3kCaW
ZYlIIxDVESafgAxOy8u7liqK1IxtMum1it1SUooxenc9APISZ+tDuolxlz4BCTQH
h4Jb9Y+7l9B+BqTgNCVgEoVkllw9IjdotZgNuiI6BJTD/2fyjQvoqsNNsQjgtha5
9m2TQde098hv7QmqmGHgKS/enwKBgQDA0kVdOz6vXCfLBtr2w1gdd3SMolKOO0do
qDrE8ditE892viccvMr2EcHS8jAEjG2PG7P0g0j7TECyIG7iu3qDr2y8LzV7npYt
4skyy1g58MChdYHhInoAyUwaSh+o6teQpeE5y1+gRynPj6PMSjY0rXTS1eZ6GHpy
jDY6otrVxwKBgQCiADVj4eHkwgyjcfl/GFggBpG8oMJcp4rGQiePo7ucFY1XRlw9
JNIYaBethJMOdmXSLV0gXSolpZHSeh8r98hU8QtLlVQPZsK5T7fbAfX0SEwO0TyL
zvrkEAUucqWkW7T6eYhi4Ob/FNMJnDtHN6H7yoD+L2nVyQ4kPhuvHurMFwKBgH5F
tVMWxzhDm3Ojq6VJy9yQK+0lJ/co7tykvsfWsVS20ngqkqaJJEj82/duzu9LnzvG
opSPnS2khAGip7snl1XBfe3G5Llt419tUuFGtSJMfXm+4C01TLxTFtlojU8ra7u4
RcR5YMgvkjvxDw1r1A+vQAAKQALZIOb+10yS9chlAoGAHk7dV8AOHuHIpG8XCnuz
B5LR7M1bqLGLmT0gVWsNBD7If9rKj2CdC/wKWctJrqg+AtgAvhCLk44AJnUr51hE
iNHAtenMsr+66u+B/leGWQy0FiDb0wVBaFi/xblWiIAFBhtdP/vaLV0ZuqQW5VYD
//Vtfz31+Q4OSimJH57B0GU=
-----END PRIVATE KEY-----
`
