package io.tracestream.ctf.meta;

import java.util.Map;

/** A CTF 2 BLOB field class: static-length or dynamic-length bytes with a media type. */
public final class BlobClass extends FieldClass {
    private final long staticLength;
    private final FieldPath lengthPath;
    private final String mediaType;
    private final boolean metadataStreamUuid;

    public BlobClass(long staticLength, FieldPath lengthPath, String mediaType, boolean metadataStreamUuid,
                     Map<String, Object> attributes) {
        super(8, attributes);
        this.staticLength = staticLength;
        this.lengthPath = lengthPath;
        this.mediaType = mediaType == null ? "application/octet-stream" : mediaType;
        this.metadataStreamUuid = metadataStreamUuid;
    }

    public boolean isStaticLength() { return lengthPath == null; }
    /** Length in bytes when static, else -1. */
    public long staticLength() { return staticLength; }
    public FieldPath lengthPath() { return lengthPath; }
    public String mediaType() { return mediaType; }
    /** True when this BLOB has the CTF 2 {@code metadata-stream-uuid} role. */
    public boolean isMetadataStreamUuid() { return metadataStreamUuid; }

    @Override
    public boolean isFixedSize() { return lengthPath == null; }

    @Override
    public long fixedSizeBits() { return lengthPath == null ? staticLength * 8 : -1; }
}
