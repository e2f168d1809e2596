package dev.speckitty.protocol.wire;

/** The answer of {@code POST /oauth/device} (RFC 8628 §3.2); lifetimes in seconds. */
public record DeviceAuthorization(String deviceCode, String userCode, String verificationUri, String verificationUriComplete,
        long expiresIn, long interval) {
    @Override
    public String toString() {
        return "DeviceAuthorization[device_code=<redacted>, user_code=" + userCode + ", verification_uri=" + verificationUri
                + ", expires_in=" + expiresIn + ", interval=" + interval + "]";
    }
}
