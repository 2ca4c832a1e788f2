//! The HostedShop SOAP fake: session, opt-in fields, faults, dates, users, groups, orders.

use shopsync_sandbox::hostedshop::{self, xml, HostedShopConfig, HostedShopHandle};

async fn start() -> (HostedShopHandle, String) {
    let (handle, router) = hostedshop::build(HostedShopConfig::default());
    handle.seed_demo();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (handle, format!("http://{addr}/service.php"))
}

/// A client that keeps the session cookie, as PHP's SoapClient does.
struct Client {
    http: reqwest::Client,
    cookie: std::sync::Mutex<Option<String>>,
}

fn client() -> Client {
    Client {
        http: reqwest::Client::new(),
        cookie: std::sync::Mutex::new(None),
    }
}

async fn soap(client: &Client, url: &str, op: &str, args: &str) -> (u16, xml::Element) {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"https://api.hostedshop.io/service.php\"><SOAP-ENV:Body><ns1:{op}>{args}</ns1:{op}></SOAP-ENV:Body></SOAP-ENV:Envelope>"
    );
    let mut req = client.http.post(url);
    if let Some(c) = client.cookie.lock().unwrap().clone() {
        req = req.header("Cookie", c);
    }
    let r = req
        .header(
            "SOAPAction",
            format!("\"https://api.hostedshop.io/service.php#{op}\""),
        )
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    if let Some(c) = r.headers().get("set-cookie") {
        let c = c.to_str().unwrap().split(';').next().unwrap().to_string();
        *client.cookie.lock().unwrap() = Some(c);
    }
    (status, xml::parse(&r.text().await.unwrap()).unwrap())
}

fn fault_code(e: &xml::Element) -> Option<String> {
    e.find("Fault")
        .and_then(|f| f.child("faultcode"))
        .map(|c| c.text.clone())
}

#[tokio::test]
async fn session_fields_faults_and_users() {
    let (hs, url) = start().await;
    let c = client();
    let (status, e) = soap(&c, &url, "User_GetAll", "").await;
    assert_eq!((status, fault_code(&e).as_deref()), (500, Some("AUTH")));
    let (_, e) = soap(
        &c,
        &url,
        "Solution_Connect",
        "<Username>api-sandbox</Username><Password>nope</Password>",
    )
    .await;
    assert_eq!(fault_code(&e).as_deref(), Some("AUTH"));
    let (status, _) = soap(
        &c,
        &url,
        "Solution_Connect",
        "<Username>api-sandbox</Username><Password>sandbox-password-42</Password>",
    )
    .await;
    assert_eq!(status, 200);
    // Only the Id until User_SetFields.
    let (_, e) = soap(&c, &url, "User_GetAll", "").await;
    let items = &e.find("User_GetAllResult").unwrap().children;
    assert_eq!(items.len(), 9);
    assert_eq!(items[0].children.len(), 1);
    assert_eq!(items[0].children[0].name, "Id");
    let (_, e) = soap(&c, &url, "User_SetFields", "<Fields>Id,Email,Nope</Fields>").await;
    assert_eq!(fault_code(&e).as_deref(), Some("NOSUCHPARAM"));
    let (_, e) = soap(&c, &url, "User_GetAll", "").await;
    assert_eq!(
        e.find("User_GetAllResult").unwrap().children[0]
            .children
            .len(),
        1,
        "the old set stays"
    );
    soap(
        &c,
        &url,
        "User_SetFields",
        "<Fields>Id,Email,Newsletter,BirthDate,UserGroupId</Fields>",
    )
    .await;
    let (_, e) = soap(
        &c,
        &url,
        "User_GetAllByDate",
        "<Start>2000-01-01 00:00:00</Start><End>2099-01-01 00:00:00</End>",
    )
    .await;
    let items = &e.find("User_GetAllByDateResult").unwrap().children;
    assert_eq!(items.len(), 9);
    assert_eq!(
        items[1].child("BirthDate").unwrap().text,
        "0000-00-00 00:00:00"
    );
    let (_, e) = soap(
        &c,
        &url,
        "User_GetAllByDate",
        "<Start>yesterday</Start><End>2099-01-01 00:00:00</End>",
    )
    .await;
    assert_eq!(fault_code(&e).as_deref(), Some("PARAM"));
    // CreateOrUpdate keyed by Username.
    let (_, e) = soap(&c, &url, "User_CreateOrUpdate", "<UserData><Username>new@x.dk</Username><Email>new@x.dk</Email><UserGroupId>1</UserGroupId><Newsletter>true</Newsletter></UserData>").await;
    let id: i64 = e
        .find("User_CreateOrUpdateResult")
        .unwrap()
        .text
        .parse()
        .unwrap();
    let (_, e) = soap(
        &c,
        &url,
        "User_CreateOrUpdate",
        "<UserData><Username>new@x.dk</Username><Firstname>Ny</Firstname></UserData>",
    )
    .await;
    assert_eq!(
        e.find("User_CreateOrUpdateResult").unwrap().text,
        id.to_string()
    );
    assert_eq!(hs.users().len(), 10);
    assert_eq!(hs.user(id).unwrap()["Firstname"], "Ny");
    assert_eq!(hs.user(id).unwrap()["Newsletter"], "true");
    let (_, e) = soap(
        &c,
        &url,
        "User_CreateOrUpdate",
        "<UserData><Username>bad@x.dk</Username><UserGroupId>99</UserGroupId></UserData>",
    )
    .await;
    assert_eq!(fault_code(&e).as_deref(), Some("PARAM"));
    assert_eq!(hs.users().len(), 10);
    // A new session starts with the default field set again.
    hs.expire_sessions();
    let (_, e) = soap(&c, &url, "User_GetAll", "").await;
    assert_eq!(fault_code(&e).as_deref(), Some("AUTH"));
}

#[tokio::test]
async fn groups_and_orders() {
    let (_hs, url) = start().await;
    let c = client();
    soap(
        &c,
        &url,
        "Solution_Connect",
        "<Username>api-sandbox</Username><Password>sandbox-password-42</Password>",
    )
    .await;
    let (_, e) = soap(&c, &url, "User_GetGroupAll", "").await;
    let titles: Vec<String> = e
        .find("User_GetGroupAllResult")
        .unwrap()
        .children
        .iter()
        .map(|g| g.child("Title").unwrap().text.clone())
        .collect();
    assert_eq!(titles, ["Kunder", "Forhandlere", "VIP"]);
    soap(
        &c,
        &url,
        "Order_SetFields",
        "<Fields>Id,UserId,Total,DateDelivered,OrderLines</Fields>",
    )
    .await;
    soap(
        &c,
        &url,
        "Order_SetOrderLineFields",
        "<Fields>Amount,Price</Fields>",
    )
    .await;
    let (_, e) = soap(&c, &url, "Order_GetByDate", "<Start>2000-01-01 00:00:00</Start><End>2099-01-01 00:00:00</End><Status xsi:nil=\"true\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"/>").await;
    let orders = &e.find("Order_GetByDateResult").unwrap().children;
    assert_eq!(orders.len(), 6);
    assert_eq!(orders[0].child("Total").unwrap().text, "130.00");
    assert_eq!(orders[0].child("OrderLines").unwrap().children.len(), 2);
}
