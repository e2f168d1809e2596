package dev.speckitty.protocol.wire;

import java.util.List;

/** The JSON body of every error answer of the server and of the control API. */
public record ErrorResponse(String error, List<ErrorDetail> details) {
    public ErrorResponse {
        details = details == null ? List.of() : details;
    }

    public static ErrorResponse of(String error) {
        return new ErrorResponse(error, List.of());
    }
}
