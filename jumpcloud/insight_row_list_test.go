package jumpcloud_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// Listing a table for the checks (ListOptions.Columns, a shared InsightKeys) over many pages
// gives the rows of a full listing with the other columns dropped, in the same order, and the
// rows of every table read the same keys.
func TestInsightsKeepColumnsAcrossPages(t *testing.T) {
	s := sandbox(t, jctest.Options{Devices: 300, Seed: 4})
	s.Inject(jctest.Fault{PathPrefix: "/api/v2/systeminsights/", Kind: jctest.FaultPageCap, Items: 7})
	c := newClient(t, s, s.Keys.ReadOnly)
	keys := jumpcloud.NewInsightKeys()
	cols := map[string][]string{jumpcloud.TableDiskEncryption: {"encrypted", "name"},
		jumpcloud.TableOSVersion: {"version", "platform"}, jumpcloud.TableManagedPolicies: {"value"}}
	byTable := map[string][]jumpcloud.InsightRow{}
	for table, keep := range cols {
		full, err := c.Insights(context.Background(), table, jumpcloud.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		kept, err := c.Insights(context.Background(), table, jumpcloud.ListOptions{Columns: keep, InsightKeys: keys})
		if err != nil {
			t.Fatal(err)
		}
		if len(kept) != s.Org().InsightRows[table] || len(kept) != len(full) || len(kept) < 30 {
			t.Fatalf("%s: %d rows kept, %d read whole, %d served", table, len(kept), len(full), s.Org().InsightRows[table])
		}
		for i := range full {
			whole := full[i]
			whole.KeepColumns(keep)
			a, _ := kept[i].MarshalJSON()
			b, _ := whole.MarshalJSON()
			if string(a) != string(b) {
				t.Fatalf("%s row %d: %s, want %s", table, i, a, b)
			}
		}
		byTable[table] = kept
	}
	keys.Seal()
	de, ov := byTable[jumpcloud.TableDiskEncryption], byTable[jumpcloud.TableOSVersion]
	if de[0].SystemID() == "" || de[0].CollectionTime() == "" || ov[0].SystemID() == "" {
		t.Fatal("rows without system id or collection time")
	}
}

// A System Insights server that ignores skip sends the same page for every skip: refused, as for
// any other list (rows with the same content are equal values).
func TestInsightsRefuseARepeatedPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-total-count", "250")
		rows := make([]string, 100)
		for i := range rows {
			rows[i] = fmt.Sprintf(`{"system_id":"s%d","collection_time":"t","global_state":1}`, i)
		}
		fmt.Fprint(w, "["+strings.Join(rows, ",")+"]")
	}))
	defer srv.Close()
	c, err := jumpcloud.New(jumpcloud.Config{BaseURL: srv.URL, APIKey: "jca_test"})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := c.Insights(context.Background(), jumpcloud.TableALF, jumpcloud.ListOptions{Columns: []string{"global_state"}})
	if err == nil || !strings.Contains(err.Error(), "same page again") {
		t.Fatalf("%d rows, err %v", len(rows), err)
	}
}
