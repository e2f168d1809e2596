package dev.speckitty.server.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps a rotated refresh token's successor pair for its grace period without the database being able
 * to reveal it: AES-256-GCM under a key derived from the rotated token itself (HMAC-SHA256 of a fixed
 * label, keyed with the token), bound to the token's hash as associated data. Only a client presenting
 * that token can open it; the database holds only the token's SHA-256, from which the key cannot be
 * derived. Layout: a 12-byte random nonce, then the ciphertext and its 16-byte tag. Stateless.
 */
final class SuccessorSeal {
    private static final byte[] LABEL = "spec-kitty refresh successor v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private SuccessorSeal() {
    }

    static byte[] seal(String rotatedToken, String tokenHash, TokenPair successor) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] plain = (successor.access() + "\n" + successor.refresh() + "\n" + successor.accessSeconds() + "\n"
                + successor.refreshSeconds()).getBytes(StandardCharsets.UTF_8);
        try {
            Cipher aes = cipher(Cipher.ENCRYPT_MODE, rotatedToken, tokenHash, nonce);
            byte[] sealed = aes.doFinal(plain);
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The successor pair; empty when {@code sealed} was not sealed with this token (or was tampered with). */
    static Optional<TokenPair> open(String rotatedToken, String tokenHash, byte[] sealed) {
        if (sealed == null || sealed.length <= NONCE) {
            return Optional.empty();
        }
        try {
            Cipher aes = cipher(Cipher.DECRYPT_MODE, rotatedToken, tokenHash, Arrays.copyOf(sealed, NONCE));
            String[] parts = new String(aes.doFinal(sealed, NONCE, sealed.length - NONCE), StandardCharsets.UTF_8).split("\n");
            return Optional.of(new TokenPair(parts[0], parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3])));
        } catch (AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private static Cipher cipher(int mode, String token, String tokenHash, byte[] nonce) throws GeneralSecurityException {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] key = hmac.doFinal(LABEL);
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            aes.updateAAD(tokenHash.getBytes(StandardCharsets.US_ASCII));
            return aes;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
