package jumpcloud

// chunked cuts b into chunks of size bytes, as readBodyChunks leaves a body (in 256 KiB chunks),
// so the decoder's chunk boundaries fall inside tokens and records.
func chunked(b []byte, size int) *pageBody {
	pb := &pageBody{n: int64(len(b))}
	for len(b) > 0 {
		ch := append([]byte(nil), b[:min(size, len(b))]...)
		pb.chunks = append(pb.chunks, &ch)
		b = b[min(size, len(b)):]
	}
	return pb
}

// whole is a body in one chunk.
func whole(b []byte) *pageBody { return chunked(b, max(len(b), 1)) }
