package evidence

import (
	"io"

	"jcconnect/jumpcloud"
)

// devicesFile writes raw/devices.json as jsonArrayFile would write the devices: each one as the
// System JumpCloud sent (jumpcloud.Device.System), encoded directly rather than through
// Device.MarshalJSON, which encoding/json would read a second time.
func devicesFile(devices []jumpcloud.Device) func(io.Writer) error {
	return func(w io.Writer) error {
		arr := jsonArrayStream{w: w}
		for i := range devices {
			sys := devices[i].System()
			if err := arr.add(&sys); err != nil {
				return err
			}
		}
		if err := arr.end(); err != nil {
			return err
		}
		_, err := io.WriteString(w, "\n")
		return err
	}
}
